"""What the application's staff page shows about the information released: files with their downloads,
handovers, and the form to record one."""
from dataclasses import dataclass

from ...core.clock import office_today
from ...models import InfoRequest
from .. import releases
from .release_forms import HandoverForm


@dataclass(frozen=True)
class ReleasePanel(releases.Released):
    """The released files (each with its downloads), the handovers, and the form to record one."""

    form: HandoverForm | None = None
    refused: str | None = None


def release_panel(info_request: InfoRequest, bound: HandoverForm | None = None,
                  refused: str | None = None) -> ReleasePanel | None:
    """The panel for a reply that released information (None otherwise); `bound` is a submitted form to
    show with its input and errors."""
    if info_request.replied_on is None or not releases.discloses(info_request.outcome, info_request.ground):
        return ReleasePanel([], [], None, refused) if refused else None
    form = bound or HandoverForm(prefix="handover", formdata=None, on=office_today())
    released = releases.released_of(info_request)
    return ReleasePanel(released.files, released.handovers, form, refused)

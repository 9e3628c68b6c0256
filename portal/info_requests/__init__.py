"""依申请公开, both faces: events, the deadline engine, outcomes, services, letters; applicant/ and staff/ views."""
from . import redating  # noqa: F401  (connects the receiver that re-dates applications when the calendar changes)

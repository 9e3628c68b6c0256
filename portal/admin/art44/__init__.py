"""申请转主动公开 (条例第四十四条): draft entries made from disclosed replies, and the applications that ask
for the same information; in the staff shell because it joins the catalog and 依申请公开."""
from . import views  # noqa: F401  (routes attach themselves to the admin blueprint)

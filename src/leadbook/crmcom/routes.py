"""The CRM.COM Web API v2 face: authentication and the 15 leads methods.

GET methods read the query string (``lead_identifier=number=19``), POST methods a JSON
body carrying ``token``. Every answer, refusals included, is the CRM.COM envelope.
"""

from __future__ import annotations

from fastapi import APIRouter

from leadbook.crmcom import envelope, login, reads, writes
from leadbook.faces import Face

PREFIX = "/crmapi/rest"
router = APIRouter(prefix=PREFIX + "/{version}", tags=["CRM.COM API v2"])
for _part in (login, reads, writes):
    router.include_router(_part.router)
face = Face(router=router, prefix="/crmapi", render_error=envelope.render_error, http_errors=True)

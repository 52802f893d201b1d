"""Routes of the crmcom face (being built; see the open issue)."""

from fastapi import APIRouter

from leadbook.faces import Face

router = APIRouter()
face = Face(router=router, prefix="/crmcom")

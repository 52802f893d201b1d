"""Routes of the admin face (being built; see the open issue)."""

from fastapi import APIRouter

from leadbook.faces import Face

router = APIRouter()
face = Face(router=router, prefix="/admin")

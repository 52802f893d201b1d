"""The sales workflow's JSON face (``/api/leads/{number}/…``, ``/api/notifications``):
notes, activities, the timeline and notifications, in the admin API's JSON style."""

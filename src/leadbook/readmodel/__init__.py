"""Whole wire objects read in one SQL statement.

A face describes an object once (``shape``: which columns, which rows it points at, which
sets it holds); ``build`` turns the description into the SQL that makes the JSON of it
(PostgreSQL's json_build_object / json_agg, SQLite's json_object / json_group_array), and
``read`` runs it over the domain's queries, so the visibility rule and the filters stay
inside the statement.
"""

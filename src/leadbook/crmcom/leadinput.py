"""CRM.COM create/update bodies → the domain's LeadChanges (identifiers resolved)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from leadbook import models as m
from leadbook.crmcom import contactinput, wire
from leadbook.domain import identifiers
from leadbook.domain.changes import LeadChanges, ProductItem, RowId, SetEdit, Source
from leadbook.domain.errors import InvalidValue, MandatoryParameterMissing
from leadbook.domain.vocabulary import canonical_source_type

TEXTS = ("contact_email", "contact_phone", "description", "importance", *m.lead.UDF_STRINGS)
NUMBERS = ("probability_to_win", "target_amount", *m.lead.UDF_FLOATS)
DATES = ("start_date", "expected_completion_date", *m.lead.UDF_DATES)
REFERENCES = {
    "type_identifier": ("type", "lead_type"),
    "status_identifier": ("status", "lead_status"),
    "category_identifier": ("category", "lead_category"),
    "lost_reason_identifier": ("lost_reason", "lost_reason"),
    "owned_by_group_identifier": ("owned_by_group", "group"),
    "privacy_level_identifier": ("privacy_level", "privacy_level"),
    "accounts_receivable_identifier": ("accounts_receivable", "accounts_receivable"),
}
SETS = (
    "competitors_set",
    "users_set",
    "products_set",
    "lead_products_set",
    "services_set",
    "physical_goods_set",
)
PACKAGES = ("subscription_package_identifier", "subscription_package", "subscription_packages")
PRODUCT_IDENTIFIERS = {
    "product_identifier": ("product", "product"),
    "product_type_identifier": ("product_type", "product_type"),
    "product_brand_identifier": ("product_brand", "product_brand"),
    "product_family_identifier": ("product_family", "product_family"),
}
SET_KIND = {
    "products_set": "PRODUCT",
    "lead_products_set": "PRODUCT",
    "services_set": "SERVICE",
    "physical_goods_set": "PHYSICAL_GOOD",
}
ROW_IDENTIFIER = {
    "products_set": "lead_product_identifier",
    "lead_products_set": "lead_product_identifier",
    "services_set": "lead_service_identifier",
    "physical_goods_set": "lead_physical_good_identifier",
}


def changes(db: Session, body: dict[str, Any], *, creating: bool) -> LeadChanges:
    """Returns what ``body`` asks to set (its keys checked already); keys it lacks are left
    alone."""
    values: dict[str, Any] = {}
    for key in TEXTS:
        if key in body:
            values[key] = wire.text(body[key], key)
    if values.get("importance"):
        values["importance"] = values["importance"].upper()
    for key in NUMBERS:
        if key in body:
            values[key] = wire.number(body[key], key)
    for key in DATES:
        if key in body:
            values[key] = wire.when(body[key], key)
    if "priority" in body:
        values["priority"] = wire.whole(body["priority"], "priority")
    for param, (attr, kind) in REFERENCES.items():
        if param in body:
            values[attr] = identifiers.resolve_optional(db, kind, body[param], param=param)
    if "lead_owner" in body:
        values["lead_owner"] = _user(db, body["lead_owner"], "lead_owner")
    package = _package(db, body)
    if package is not False:
        values["subscription_package"] = package
    if "assigned_to" in body:
        values.update(_assigned_to(db, body["assigned_to"]))
    if "billing_address_identifier" in body:
        _billing_address(body["billing_address_identifier"])
    result = LeadChanges(values=values)
    if "estimated_completion_time" in body:
        result.estimated_given = True
        result.estimated_completion_time = _estimate(body["estimated_completion_time"])
    if creating:  # null counts as absent
        given = [
            k for k in ("expected_completion_date", "estimated_completion_time") if body.get(k)
        ]
        if not given:
            raise MandatoryParameterMissing(
                "Give one of expected_completion_date and estimated_completion_time"
            )
        if len(given) > 1:
            raise InvalidValue(
                "Give only one of expected_completion_date and estimated_completion_time"
            )
        result.estimated_given = given[0] == "estimated_completion_time"
        if not result.estimated_given:
            result.estimated_completion_time = None
        values["contact"] = contactinput.contact(db, wire.require(body, "contact_information"))
    if "source" in body:
        result.source = _source(db, body["source"])
    result.competitors = _set(db, body, "competitors_set", creating, _competitor)
    result.users = _set(db, body, "users_set", creating, _team_member)
    products = SetEdit()
    for name in ("products_set", "lead_products_set", "services_set", "physical_goods_set"):
        edit = _set(db, body, name, creating, _product_reader(name))
        if edit:
            products.add += edit.add
            products.remove += edit.remove
    result.products = products if products.add or products.remove else None
    return result


def _user(db: Session, value: Any, param: str) -> m.User | None:
    """A user given as ``{"username": …}`` or wrapped as ``{"user_identifier": {…}}``."""
    if isinstance(value, dict) and "user_identifier" in value:
        wire.check_keys(value, {"user_identifier"}, param)
        value = value["user_identifier"]
        param = f"{param}.user_identifier"
    return identifiers.resolve_optional(db, "user", value, param=param)


def _package(db: Session, body: dict[str, Any]):
    """The subscription package, in any of its three spellings; False when not given."""
    given = [key for key in PACKAGES if key in body]
    if not given:
        return False
    if len(given) > 1:
        raise InvalidValue(f"Give only one of {', '.join(given)}")
    key = given[0]
    value = body[key]
    if key == "subscription_packages":
        if value in (None, []):
            return None
        if not isinstance(value, list) or len(value) != 1:
            raise InvalidValue("subscription_packages takes one package (a lead has one)")
        value = value[0]
        key = "subscription_packages[0]"
    if key != "subscription_package_identifier" and isinstance(value, dict):
        wire.check_keys(value, {"subscription_package_identifier", "action"}, key)
        value = value.get("subscription_package_identifier")
    return identifiers.resolve_optional(db, "subscription_package", value, param=key)


def _assigned_to(db: Session, value: Any) -> dict[str, Any]:
    if value is None:
        return {"assigned_user": None, "assigned_unit": None}
    if not isinstance(value, dict) or not value:
        raise InvalidValue("assigned_to must be an object with user_identifier or unit_identifier")
    wire.check_keys(value, {"user_identifier", "unit_identifier"}, "assigned_to")
    out: dict[str, Any] = {}
    if "user_identifier" in value:
        out["assigned_user"] = identifiers.resolve_optional(
            db, "user", value["user_identifier"], param="assigned_to.user_identifier"
        )
    if "unit_identifier" in value:
        out["assigned_unit"] = identifiers.resolve_optional(
            db, "unit", value["unit_identifier"], param="assigned_to.unit_identifier"
        )
    return out


def _billing_address(value: Any) -> None:
    """Accepted for pre-R11.1 clients (Leadbook keeps no addresses); checked for shape."""
    if value is None:
        return
    lowered = {str(k).lower(): v for k, v in value.items()} if isinstance(value, dict) else None
    identifiers.single_field("billing_address_identifier", lowered, ("id", "type"))


def _estimate(value: Any) -> tuple[float, str] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidValue("estimated_completion_time must be a time period object")
    wire.check_keys(value, {"time_period_value", "time_period_uot"}, "estimated_completion_time")
    amount = wire.required_number(
        value, "time_period_value", "estimated_completion_time.time_period_value"
    )
    unit = wire.required_text(value, "time_period_uot", "estimated_completion_time.time_period_uot")
    return amount, unit


SOURCE_REFERENCES = {
    "source_communications_identifier": ("communication", "communication"),
    "source_notifications_identifier": ("notification", "notification"),
    "source_recommended_by_contact_identifier": ("contact", "contact"),
    "source_recommended_by_partner_identifier": ("contact", "contact"),
    "source_recommended_by_employee_identifier": ("user", "user"),
}


def _source(db: Session, value: Any) -> Source:
    if not isinstance(value, dict):
        raise InvalidValue("source must be an object with a type")
    wire.check_keys(value, {"type", "name", *SOURCE_REFERENCES}, "source")
    kind = canonical_source_type(wire.require(value, "type"))
    source = Source(type=kind, name=wire.text(value.get("name"), "source.name"))
    for param, (attr, ident_kind) in SOURCE_REFERENCES.items():
        if value.get(param) is not None:
            row = identifiers.resolve(db, ident_kind, value[param], param=f"source.{param}")
            setattr(source, attr, row)
    return source


def _set(db: Session, body: dict[str, Any], name: str, creating: bool, read) -> SetEdit | None:
    items = body.get(name)
    if items is None:
        return None
    if not isinstance(items, list):
        raise InvalidValue(f"{name} must be a list")
    edit = SetEdit()
    for index, item in enumerate(items):
        where = f"{name}[{index}]"
        if not isinstance(item, dict):
            raise InvalidValue(f"{where} must be an object")
        action = str(item.get("action") or ("ADD" if creating else "")).upper()
        if action not in ("ADD", "REMOVE"):
            raise InvalidValue(f"{where}.action must be ADD or REMOVE")
        if creating and action == "REMOVE":
            raise InvalidValue(f"{where}: a new lead has nothing to remove")
        target = read(db, item, action, where)
        (edit.add if action == "ADD" else edit.remove).append(target)
    return edit


def _row_or(db: Session, item, where: str, row_key: str, target_key: str, kind: str):
    """A REMOVE item: the lead's row by id, or the thing it holds by its identifier."""
    ident = item.get(row_key)
    if not isinstance(ident, dict):
        raise MandatoryParameterMissing(f"{where}.{row_key} is mandatory on remove")
    if target_key in ident:
        return identifiers.resolve(db, kind, ident[target_key], param=f"{where}.{target_key}")
    field, value = identifiers.single_field(f"{where}.{row_key}", ident, ("id", target_key))
    return RowId(value)


def _competitor(db: Session, item, action: str, where: str):
    wire.check_keys(item, {"action", "competitor_identifier", "lead_competitor_identifier"}, where)
    if action == "REMOVE":
        return _row_or(
            db, item, where, "lead_competitor_identifier", "competitor_identifier", "competitor"
        )
    ident = item.get("competitor_identifier")
    if ident is None:
        raise MandatoryParameterMissing(f"{where}.competitor_identifier is mandatory on add")
    return identifiers.resolve(db, "competitor", ident, param=f"{where}.competitor_identifier")


def _team_member(db: Session, item, action: str, where: str):
    wire.check_keys(item, {"action", "user_identifier", "lead_user_identifier"}, where)
    if action == "REMOVE":
        return _row_or(db, item, where, "lead_user_identifier", "user_identifier", "user")
    ident = item.get("user_identifier")
    if ident is None:
        raise MandatoryParameterMissing(f"{where}.user_identifier is mandatory on add")
    return identifiers.resolve(db, "user", ident, param=f"{where}.user_identifier")


def _product_reader(name: str):
    kind = SET_KIND[name]
    row_key = ROW_IDENTIFIER[name]

    def read(db: Session, item, action: str, where: str):
        wire.check_keys(item, {"action", row_key, *PRODUCT_IDENTIFIERS}, where)
        target = item
        if row_key in item:
            target = item[row_key]
            if not isinstance(target, dict):
                raise InvalidValue(f"{where}.{row_key} must be an object")
            if action == "REMOVE" and set(target) == {"id"}:
                return RowId(identifiers.single_field(f"{where}.{row_key}", target, ("id",))[1])
            where = f"{where}.{row_key}"
        given = [key for key in PRODUCT_IDENTIFIERS if key in target]
        extra = set(target) - set(PRODUCT_IDENTIFIERS) - {"action", row_key}
        if len(given) != 1 or extra:
            raise InvalidValue(
                f"{where} must name exactly one of: {', '.join(PRODUCT_IDENTIFIERS)}"
            )
        field, ident_kind = PRODUCT_IDENTIFIERS[given[0]]
        row = identifiers.resolve(db, ident_kind, target[given[0]], param=f"{where}.{given[0]}")
        return ProductItem(kind, field, row)

    return read

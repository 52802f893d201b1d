"""SQLAlchemy tables, one module per aggregate; importing this package registers them all."""

from leadbook.models.assignment import AssignmentRule
from leadbook.models.auth import AccessToken, ApiKey, RateCounter
from leadbook.models.base import Base, new_id, utcnow
from leadbook.models.catalog import (
    Product,
    ProductBrand,
    ProductFamily,
    ProductType,
    SubscriptionPackage,
)
from leadbook.models.counter import Counter
from leadbook.models.duplicates import DuplicateCandidate, LeadMerge
from leadbook.models.external import ExternalId
from leadbook.models.feed import (
    DueNotice,
    FeedEvent,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
    WorkerHeartbeat,
)
from leadbook.models.idempotency import IdempotentAnswer
from leadbook.models.intake import IntakeForm
from leadbook.models.lead import Lead, LeadCompetitor, LeadEvent, LeadProduct, LeadUser
from leadbook.models.mail import LeadMessage
from leadbook.models.notices import OutboxEmail, UserNotification
from leadbook.models.parties import AccountsReceivable, Communication, Contact, Notification
from leadbook.models.reference import (
    LIFE_CYCLE_STATES,
    Competitor,
    Country,
    Group,
    LeadCategory,
    LeadStatus,
    LeadType,
    LifeCycleState,
    LostReason,
    PrivacyLevel,
    Role,
    Unit,
    User,
)
from leadbook.models.scoring import ScoringRule
from leadbook.models.search import LeadSearch
from leadbook.models.stages import LeadStage
from leadbook.models.totals import LeadTotal
from leadbook.models.views import SavedView
from leadbook.models.workflow import Activity, ActivityKind, BreachNotice, Note, RottingThreshold

__all__ = [
    "LeadSearch",
    "LeadTotal",
    "Activity",
    "ActivityKind",
    "BreachNotice",
    "Note",
    "OutboxEmail",
    "RottingThreshold",
    "UserNotification",
    "RateCounter",
    "LIFE_CYCLE_STATES",
    "AccessToken",
    "AssignmentRule",
    "ApiKey",
    "AccountsReceivable",
    "Base",
    "Communication",
    "Competitor",
    "Contact",
    "Counter",
    "DuplicateCandidate",
    "LeadMerge",
    "DueNotice",
    "FeedEvent",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookSubscription",
    "WorkerHeartbeat",
    "Country",
    "ExternalId",
    "Group",
    "IdempotentAnswer",
    "IntakeForm",
    "Lead",
    "LeadCategory",
    "LeadCompetitor",
    "LeadEvent",
    "LeadMessage",
    "LeadProduct",
    "LeadStage",
    "LeadStatus",
    "LeadType",
    "LifeCycleState",
    "LeadUser",
    "LostReason",
    "Notification",
    "PrivacyLevel",
    "Product",
    "ProductBrand",
    "ProductFamily",
    "ProductType",
    "Role",
    "SavedView",
    "ScoringRule",
    "SubscriptionPackage",
    "Unit",
    "User",
    "new_id",
    "utcnow",
]

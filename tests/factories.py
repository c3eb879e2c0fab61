"""Every factory, for tests written before the factories moved beside each app's tests.

New tests import from ``tests/<app>/factories.py``, where each app's factories live.
"""

from tests.hamlet.factories import (  # noqa: F401
    EstablishmentFactory,
    HouseblockFactory,
    OrganisationFactory,
    StaffProfileFactory,
    UserFactory,
    UserSessionFactory,
    WingFactory,
)
from tests.mentoring.factories import (  # noqa: F401
    CandidateFactory,
    InterviewFactory,
    MentorContactFactory,
    MentoringSettingsFactory,
    NextStepFactory,
    NominationFactory,
    PeerRoleFactory,
    QualificationFactory,
    RecruitmentRoundFactory,
    RoleHoldingFactory,
    SupervisionSessionFactory,
    TrainingRecordFactory,
)
from tests.residents.factories import (  # noqa: F401
    NonAssociationFactory,
    ResidentFactory,
    StageChangeFactory,
    SupportContactFactory,
)

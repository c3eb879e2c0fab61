"""What the evaluation adds to a resident (the residents contract): nothing of their own.

Its records are about the wing, and every text an evaluator reads is refused if it names a
resident. A cohort's relational mapping is still a record shared by the cohort's residents
and peer mentors, so when one of them is anonymised, any mention of them that got into a
mapping (before they came to the wing under that name, say) is scrubbed like any shared text.
"""

from django.db.models import Q

from evaluation.models import MappingScore, RelationalMapping
from residents.contract import Anonymisation, ResidentContribution
from residents.models import Resident


class EvaluationContribution(ResidentContribution):
    def anonymise(self, resident: Resident) -> Anonymisation:
        mappings = RelationalMapping.objects.filter(
            Q(cohort__enrolments__resident=resident) | Q(cohort__peer_mentors=resident)
        ).distinct()
        return Anonymisation(
            shared={RelationalMapping: mappings, MappingScore: MappingScore.objects.filter(mapping__in=mappings)}
        )

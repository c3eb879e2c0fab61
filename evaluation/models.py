from residents.models import Resident


class ExtractedResident(Resident):
    """A resident as the research extract gives them: pseudonymised, consenting only. A proxy
    with no table of its own, here to carry the evaluation app's permission to see and
    download the extract."""

    class Meta:
        proxy = True
        default_permissions = ()
        permissions = [("view_research_extract", "Can see and download the pseudonymised research extract")]

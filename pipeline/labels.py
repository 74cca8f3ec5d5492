"""The one list of labels, their display colours and doccano shortcut keys.

``../shared/LABELS.md`` (bundled as the annotator guideline) defines what each label means.
"""
from typing import Final

PERSON: Final = "PERSON"
PLACE: Final = "PLACE"
DATE: Final = "DATE"
MILITARY_UNIT: Final = "MILITARY_UNIT"
PROPOSAL: Final = "PROPOSAL"

#: Every label, in the order reports list them.
LABELS: Final = (PERSON, PLACE, DATE, MILITARY_UNIT, PROPOSAL)

#: Labels that never overlap each other and make up ``doc.ents``.
ENTITY_LABELS: Final = (PERSON, PLACE, DATE, MILITARY_UNIT)

#: Labels whose spans carry a canonical name (``kb_id``).
KB_LABELS: Final = (PERSON, PLACE)

#: Labels whose spans carry a normalized value (an ISO 8601 date).
VALUE_LABELS: Final = (DATE,)

#: The span group that holds every span the pipeline predicts.
SPAN_GROUP: Final = "archival"

#: Display colours, shared by displaCy previews, reports and the doccano project.
COLORS: Final = {
    PERSON: "#7aecec",
    PLACE: "#feca74",
    DATE: "#bfe1d9",
    MILITARY_UNIT: "#ff9561",
    PROPOSAL: "#c887fb",
}

#: Keyboard shortcuts in doccano's annotation editor.
SHORTCUTS: Final = {PERSON: "p", PLACE: "l", DATE: "d", MILITARY_UNIT: "m", PROPOSAL: "r"}

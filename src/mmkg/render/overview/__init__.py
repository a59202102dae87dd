"""Overview graphs of big graphs: groups of models drawn as nodes, with their counts.

Above :data:`OVERVIEW_MAX_NODES` nodes, one node per model can neither be drawn quickly nor
read, so the overview pages draw groups instead and say so on the page:

- the whole lineage: a lane per lineage family (the :data:`FAMILY_LANES` biggest; the other
  families share one lane, unlinked models another), a column per period (month, quarter,
  half-year or year, the finest that gives at most :data:`MAX_COLUMNS` columns, so that time
  is proportional), a node per lane and period holding its number of models, and the links
  between nodes counted;
- a big lineage family: the same, a lane per generation (roots, then the models one link
  below them, ...);
- the architecture: the :data:`ORGANISATIONS` organisations with the most models on the left,
  component families (or components without a family) in a column per role, an edge holding
  the number of models of the organisation that use the family;
- the component families: a node per family, derivations between families counted.

Each builder costs time linear in the graph it reads, and its page holds a bounded number of
nodes whatever the number of models.
"""

from mmkg.render.overview.architecture import (
    COMPONENT_GROUPS,
    ORGANISATIONS,
    aggregated_architecture_page,
    aggregated_component_families_page,
)
from mmkg.render.overview.common import OVERVIEW_MAX_NODES, table_link
from mmkg.render.overview.lineage import (
    FAMILY_LANES,
    GENERATION_LANES,
    MAX_COLUMNS,
    aggregated_family_page,
    aggregated_lineage_page,
)

__all__ = [
    "OVERVIEW_MAX_NODES",
    "FAMILY_LANES",
    "GENERATION_LANES",
    "MAX_COLUMNS",
    "ORGANISATIONS",
    "COMPONENT_GROUPS",
    "table_link",
    "aggregated_lineage_page",
    "aggregated_family_page",
    "aggregated_architecture_page",
    "aggregated_component_families_page",
]

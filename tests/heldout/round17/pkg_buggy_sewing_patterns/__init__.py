"""Panel-outline generation for made-to-measure sewing patterns."""
from .model import PanelOutlineModel

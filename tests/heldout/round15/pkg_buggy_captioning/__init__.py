"""Region-feature image captioner: detector regions -> transformer encoder -> caption decoder."""
from .model import Captioner

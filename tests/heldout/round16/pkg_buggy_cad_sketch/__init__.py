from .decoder import SketchDecoder

from .decoder import IconDecoder

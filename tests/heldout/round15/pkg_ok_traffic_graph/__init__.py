"""Road-network traffic-speed regressor with graph-masked attention over sensor nodes."""
from .model import RoadGraphModel

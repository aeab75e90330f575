from .vertex_model import VertexModel

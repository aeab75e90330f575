from .model import Retriever

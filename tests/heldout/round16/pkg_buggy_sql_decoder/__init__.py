from .model import Text2SQL

from .layers import RoomGraphEncoder

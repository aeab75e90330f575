"""Delivery-time estimation for a pizza chain: one sequence of kitchen/driver events per order."""
from .collate import OrderCollator
from .eta_model import DeliveryETA

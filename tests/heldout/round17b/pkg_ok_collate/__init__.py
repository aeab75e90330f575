"""Triage of app-store reviews into support queues."""

"""Headline generation for news articles (annotated-transformer style)."""

"""Database layer: typed SQLAlchemy models, engine/session factory, Alembic migrations."""

"""The report builder: Document → pydantic Report, knowing the templates and nothing of file formats."""

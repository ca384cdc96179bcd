"""ideabot: the idea-intake bot of the Innovation and Technology Center of Tabriz Municipality."""

__version__ = "0.1.0"

"""Every text people read: one module of marked texts per screen, the gettext catalogs
that translate them (`fa/`, `en/`), and `i18n`, which picks the reader's language."""

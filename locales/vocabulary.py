"""The names of things: who submits, focus areas, stages, subjects of announcements,
statuses, messengers, languages and staff roles."""

from locales.i18n import N_

# Who submits.
CITIZEN = N_("Citizen")
UNIVERSITY_STUDENT = N_("University student")
SCHOOL_STUDENT = N_("School student")
PROFESSOR = N_("Professor or researcher")
COMPANY = N_("Knowledge-based company or startup")
MUNICIPAL_STAFF = N_("Municipal staff (deputy offices and departments)")
INDUSTRY = N_("Industry and private sector")

# Focus areas.
WASTE = N_("♻️ Waste")
TRANSPORT = N_("🚦 Transport and traffic")
BEAUTIFICATION = N_("🌳 Urban beautification")
SMART_CITY = N_("📡 Smart city")
OTHER_AREA = N_("🏙 Other areas of city management")

# How far along an idea is.
IDEA_STAGE = N_("💡 Idea")
PROTOTYPE_STAGE = N_("🛠 Prototype")
PRODUCT_STAGE = N_("🚀 Working product")

# Subjects of announcements, besides the focus areas.
CALLS_TOPIC = N_("📣 Calls for proposals")
EVENTS_TOPIC = N_("🗓 Events and workshops")

# Statuses.
SUBMITTED = N_("Submitted")
SCREENING = N_("Initial screening")
NEEDS_INFO = N_("Needs more information")
EVALUATING = N_("Being evaluated")
SHORTLISTED = N_("Shortlisted for the pitch")
ACCEPTED = N_("Accepted")
INCUBATING = N_("In acceleration and implementation")
COMPLETED = N_("Implemented")
REJECTED = N_("Not accepted")
DUPLICATE = N_("Duplicate (merged)")
WITHDRAWN = N_("Withdrawn by the owner")

# Messengers.
TELEGRAM = N_("Telegram")
BALE = N_("Bale")

# Each language is named in itself, whatever the current language.
PERSIAN_NAME = N_("فارسی")
ENGLISH_NAME = N_("English")

# Staff roles.
ADMIN_ROLE = N_("administrator")
REVIEWER_ROLE = N_("expert reviewer")

"""The intake's texts: each step's name and question, and the screens around them."""

from locales.i18n import N_

# The answers' names, on the review screen.
PERSONA_LABEL = N_("Who you are")
AFFILIATION_LABEL = N_("Affiliation")
AREA_LABEL = N_("Focus area")
CALL_LABEL = N_("Call for proposals")
TITLE_LABEL = N_("Title")
PROBLEM_LABEL = N_("Problem")
SOLUTION_LABEL = N_("Proposed solution")
IMPACT_LABEL = N_("Expected impact")
STAGE_LABEL = N_("Stage")
TEAM_SIZE_LABEL = N_("Team size")
ATTACHMENTS_LABEL = N_("Attachments")
LOCATION_LABEL = N_("Location")
FULL_NAME_LABEL = N_("Full name")
PHONE_LABEL = N_("Phone")
CONSENT_LABEL = N_("Consent")
REVIEW_LABEL = N_("Review")

# The questions.
PERSONA_PROMPT = N_("Let's register your idea. First: which of these describes you best?")
UNIVERSITY_PROMPT = N_("Which university do you study at?")
SCHOOL_PROMPT = N_("Which school do you study at?")
PROFESSOR_PROMPT = N_("Which university or research institute are you with?")
COMPANY_PROMPT = N_("What is your company's name?")
MUNICIPAL_PROMPT = N_("Which deputy or department of the municipality do you work in?")
INDUSTRY_PROMPT = N_("Which organization or company are you with?")
AREA_PROMPT = N_("Which area of city management is your idea about?")
CALL_PROMPT = N_("Calls for proposals are open in this area. Is your idea for one of them?")
TITLE_PROMPT = N_("Give your idea a short title (5 to 120 characters).")
PROBLEM_PROMPT = N_(
    "What problem of the city does it solve? Describe it in 30 to 2,000 characters."
)
SOLUTION_PROMPT = N_("What is your solution, and how does it work? (30 to 3,000 characters)")
IMPACT_PROMPT = N_(
    "What impact do you expect: who benefits, what improves, by how much? "
    "(optional, up to 1,500 characters)"
)
STAGE_PROMPT = N_("How far along is it?")
TEAM_SIZE_PROMPT = N_("How many people are on your team? Send a number from 1 to 50, or skip.")
ATTACHMENTS_PROMPT = N_(
    "You can send up to 5 photos, documents or voice notes (each at most 20 MB). "
    "Press “Done” when finished, or skip."
)
LOCATION_PROMPT = N_(
    "If your idea is about a particular place in the city, share it: the button below "
    "sends where you are now; to choose another place, use 📎 and then Location. "
    "Or skip."
)
FULL_NAME_PROMPT = N_("What is your full name? Type it, or confirm the one below.")
PHONE_PROMPT = N_(
    "Share your mobile number with the button below, or type it (e.g. 09121234567), "
    "so the center's experts can reach you."
)
CONSENT_PROMPT = N_(
    "<b>Your data</b>\n"
    "Your idea, name and phone number will be seen only by the experts and managers of "
    "the Innovation and Technology Center of Tabriz Municipality, to review your idea "
    "and contact you about it. They are not published or given to anyone else. At any "
    "time, /privacy shows what is stored about you and /delete_my_data deletes it.\n\n"
    "Do you agree?"
)
REVIEW_PROMPT = N_("<b>Check your idea before you submit it</b>")

# The screens around the steps.
SUBMIT = N_("📨 Submit my idea")
CONTINUE = N_("▶️ Continue")
START_OVER = N_("🔄 Start over")
RESUME_OFFER = N_(
    "You have an unfinished idea (at “{step}”). Continue where you stopped, or start over?"
)
YES_START_OVER = N_("🗑 Yes, start over")
RESTART_QUESTION = N_("Delete the answers of your unfinished idea and start a new one?")
CANCEL_QUESTION = N_(
    "Stop submitting this idea? Your answers are kept: you can continue later from "
    "“Submit an idea”, until you start over."
)
CANCELLED = N_("Stopped. Your draft is kept for when you come back.")
RECEIPT = N_(
    "✅ <b>Your idea is registered.</b>\n"
    "Tracking code: <code>{code}</code>\n\n"
    "What happens next: the center's experts will screen it first, then evaluate it. "
    "You will be told here at every change. Use /my to see your ideas and their status."
)
DAILY_LIMIT_REACHED = N_(
    "You have submitted {limit} ideas today, the most for one day. Thank you! You can "
    "submit more tomorrow."
)
DAILY_LIMIT_DRAFT_KEPT = N_(
    "You have submitted {limit} ideas today, the most for one day. Thank you! Your draft "
    "is kept: please submit it tomorrow."
)
RESUMED = N_("Your idea is waiting. Here is where you stopped:")
NO_DRAFT = N_("There is no idea in progress. Choose from the menu to start one.")
ALREADY_SUBMITTED = N_("This idea has already been submitted. Use /my to see it.")
CALL_CLOSED = N_(
    "The call for proposals «{title}» has closed, so it no longer takes ideas. "
    "Your idea is not lost: you can send it as a general idea to the center."
)
SEND_AS_GENERAL = N_("📨 Send as a general idea")
CALL_NOT_FOUND = N_("That call for proposals was not found. /calls lists the open ones.")
CALL_NOT_OPEN = N_(
    "The call for proposals «{title}» is not open now. You can still send your "
    "idea to the center as a general idea, or see the open calls with /calls."
)
SUBMIT_GENERAL = N_("💡 Submit a general idea")
BOUND_TO_CALL = N_(
    "📣 Your idea will go to the call for proposals «{title}» (choose one of its areas)."
)

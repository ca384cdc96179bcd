"""Everything a person sees, and nothing else: rendering for each platform, the typed
callback data, the conversation states, keyboards and screens. No database, no
messenger framework: a screen is plain values (`markup.Screen`), which the platform
layer sends."""

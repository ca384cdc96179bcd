"""Conversations declared as data (`graph`) and the one engine that walks them
(`engine`): the intake, the staff's forms, the broadcast composer and the one-question
prompts are all graphs of steps."""

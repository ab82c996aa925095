"""LLM mode: the chat-model boundary (chat, local_model), condensing follow-ups, the prompted
answer and its claim checks (llm_answer, grounding, polarity, overlap, prune, nlp,
nlp_process), the evidence gate, the offline fallback and pricing."""

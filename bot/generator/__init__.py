"""The generator: chains over a causal language model that phrase probes, acknowledgements
and answers to candidates' questions, every text through the guards, HR's words on refusal."""

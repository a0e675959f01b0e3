"""What HR and recruiters do: accounts and logins, review, exports, drafting, uploads."""

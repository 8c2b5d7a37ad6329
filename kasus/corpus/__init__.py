"""The corpus as personal data: pseudonymising names and identifiers in notes and exports."""

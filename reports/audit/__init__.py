"""The audit: who exported what (export log), who looked at which identity (the identity
access log of `victims`), erasures on lawful requests, and the alert about unusual numbers
of identity views. Read by the province on the audit pages."""

"""Correspondence: the office's letters about a deferral request (acknowledgement, meeting
request, resolution) drafted from templates, rendered as PDF and e-mail and kept byte for byte;
and letters that arrive by e-mail, taken in as drafts."""

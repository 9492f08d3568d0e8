"""Knowledge base, FAQ and guided troubleshooters: the public help center."""

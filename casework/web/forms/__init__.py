"""WTForms classes: they parse and check the shape of input; services judge the rules."""

"""Turn a statement into the render model: source -> model -> translations -> resolve -> text -> assemble."""

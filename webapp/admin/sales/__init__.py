"""Flash-sale administration: create and edit sales, watch stock, buyers and orders, reconcile."""

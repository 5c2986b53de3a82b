DROP TABLE clearances;

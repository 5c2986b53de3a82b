DROP TABLE dunning_last_run;

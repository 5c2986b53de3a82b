DROP TABLE landing_otp_challenges;

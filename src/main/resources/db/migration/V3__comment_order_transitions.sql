-- V1's comment said "one row per state change"; intake and attempt starts write none.
COMMENT ON TABLE order_transitions IS
    'One row per worker or operator transition (retry, completion, dead-lettering, reprocess, stale-lock '
    'recovery); intake and attempt starts are not recorded. The witness that no order completes twice.';

/** One thing wrong with one field, in words an advertiser's developer can act on. */
export interface FieldProblem {
  /** Our name of the field (click_id, amount, …) or the parameter/header name. */
  field: string;
  /** The parameter as the advertiser sent it, when it differs from the field name. */
  param?: string;
  /** Machine-readable name of the rule that failed. */
  rule: string;
  reason: string;
}

/**
 * A postback Tracklane answers with a 4xx: nothing was published. `error` is
 * the machine-readable class (invalid_parameter, unauthorized, …), `reason`
 * says why in words; field problems name the field and the rule.
 */
export class PostbackRefusal extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly reason: string,
    readonly problems: readonly FieldProblem[] = [],
  ) {
    super(reason);
    this.name = 'PostbackRefusal';
  }

  static invalid(problems: FieldProblem[]): PostbackRefusal {
    return new PostbackRefusal(400, 'invalid_parameter', problems[0].reason, problems);
  }

  static unauthorized(reason: string): PostbackRefusal {
    return new PostbackRefusal(401, 'unauthorized', reason);
  }

  static forbidden(reason: string): PostbackRefusal {
    return new PostbackRefusal(403, 'forbidden', reason);
  }
}

/**
 * Tracklane cannot take the postback right now (Kafka, Postgres or, for a
 * signed postback, Redis is unreachable, or the same postback is still being
 * recorded elsewhere). The
 * advertiser should retry: nothing was acknowledged.
 */
export class PostbackUnavailable extends Error {
  constructor(
    readonly reason: 'kafka_unavailable' | 'database_unavailable' | 'duplicate_in_progress' | 'replay_check_unavailable',
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    this.name = 'PostbackUnavailable';
  }
}

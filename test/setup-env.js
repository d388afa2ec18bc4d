// Tests never talk to AWS or a real SigNoz: telemetry goes to local files unless a test says otherwise.
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
process.env.TELEMETRY_MODE ??= 'off';

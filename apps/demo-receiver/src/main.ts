import { Module } from '@nestjs/common';
import { ServiceEnv } from '@tracklane/config';
import { runService } from '@tracklane/observability';
import { DemoReceiverController } from './demo-receiver.controller';
import { ReceivedPostbacks } from './received-postbacks';

@Module({ controllers: [DemoReceiverController], providers: [{ provide: ReceivedPostbacks, useValue: new ReceivedPostbacks() }] })
class DemoReceiverModule {}

runService({ name: 'demo-receiver', envClass: ServiceEnv, module: () => DemoReceiverModule });

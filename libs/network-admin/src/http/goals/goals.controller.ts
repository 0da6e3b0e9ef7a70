import { Body, Controller, Delete, Get, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Roles } from '@tracklane/api-auth';
import { Principal } from '@tracklane/api-keys';
import { GoalsService } from '../../goals/goals.service';
import { IdParam } from '../id-param';
import { RemovalResponse } from '../responses';
import { CreateGoalDto, GoalResponse, UpdateGoalDto } from './goal.dto';

@ApiTags('goals')
@Controller('v1/offers/:offerId/goals')
export class GoalsController {
  constructor(private readonly goals: GoalsService) {}

  @Get()
  @Roles('admin', 'advertiser', 'affiliate')
  @ApiOperation({ summary: "An offer's goals, with the money each role may see" })
  @ApiOkResponse({ type: [GoalResponse] })
  list(@Caller() caller: Principal, @IdParam('offerId') offerId: number) {
    return this.goals.list(caller, offerId);
  }

  @Post()
  @ApiCreatedResponse({ type: GoalResponse })
  create(@Caller() caller: Principal, @IdParam('offerId') offerId: number, @Body() body: CreateGoalDto) {
    return this.goals.create(caller, offerId, body);
  }

  @Get(':goalId')
  @Roles('admin', 'advertiser', 'affiliate')
  @ApiOkResponse({ type: GoalResponse })
  get(@Caller() caller: Principal, @IdParam('offerId') offerId: number, @IdParam('goalId') goalId: number) {
    return this.goals.get(caller, offerId, goalId);
  }

  @Patch(':goalId')
  @ApiOkResponse({ type: GoalResponse })
  update(
    @Caller() caller: Principal,
    @IdParam('offerId') offerId: number,
    @IdParam('goalId') goalId: number,
    @Body() body: UpdateGoalDto,
  ) {
    return this.goals.update(caller, offerId, goalId, body);
  }

  @Delete(':goalId')
  @ApiOperation({ summary: 'Delete a goal, or archive it when it has history' })
  @ApiOkResponse({ type: RemovalResponse })
  remove(@Caller() caller: Principal, @IdParam('offerId') offerId: number, @IdParam('goalId') goalId: number) {
    return this.goals.remove(caller, offerId, goalId);
  }
}

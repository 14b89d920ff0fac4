"""The fitness demo seeder, on both storages: a profile, four weeks of logs, a plan with sessions; a rerun adds
nothing."""

from entrypoints.demo.fitness import seed_fitness


async def test_seeding_the_demo_fitness_data_twice_adds_everything_once(container):
    account = await container.identity.register_account()(email="demo@example.com", username="demo",
                                                          password="correct horse")
    fitness = container.fitness
    await seed_fitness(container, account)
    await seed_fitness(container, account)

    profile = await fitness.get_profile()(account.id)
    weights = await fitness.list_weights()(account.id, limit=200)
    intakes = await fitness.list_intakes()(account.id, limit=200)
    plans = await fitness.list_workout_plans()(account.id)
    sessions = await fitness.list_workout_sessions()(account.id)
    assert profile.profile.profile.diet == "pescatarian" and profile.energy.method == "adaptive"
    assert len(intakes.items) == 28 and len(weights.items) == 29  # and the profile's weigh-in today
    assert [plan.name for plan in plans.items] == ["Spring strength"] and plans.items[0].auto_adapt
    assert len(sessions.items) == 3
    adapted = await fitness.adapt_workout_plan()(account.id, plans.items[0].id)
    assert adapted.version.changes  # the first session reached rep_max everywhere: its loads rise

"""Drive a running Label Studio with label-studio-sdk, as a reviewer would (run by
tests/test_integrations_labelstudio.py with the Python that has Label Studio installed).

Reads a plan (JSON): the labelling config and tasks propscope exported, and per article id
the corrections to submit: a list of annotations, each {"annotator": email or null,
"result": [...regions...], "cancel": bool}. Creates the project, imports the tasks (with
their predictions), submits the annotations through the API, and writes the project's JSON
export and what the server said about the project (its id, for a browser to open its tasks)
to the output file.
"""

from __future__ import annotations

import json
import sys

from label_studio_sdk import LabelStudio


def main(base_url: str, token: str, plan_path: str, out_path: str) -> None:
    with open(plan_path, encoding="utf-8") as handle:
        plan = json.load(handle)
    client = LabelStudio(base_url=base_url, api_key=token)
    project = client.projects.create(title="propscope review", label_config=plan["config"])
    imported = client.projects.import_tasks(
        id=project.id, request=plan["tasks"], return_task_ids=True
    )
    users = {}
    for email in sorted({a["annotator"] for c in plan["corrections"].values() for a in c} - {None}):
        users[email] = client.users.create(username=email.split("@")[0], email=email).id
    tasks = list(client.tasks.list(project=project.id, fields="all"))
    predictions = 0
    for task in tasks:
        predictions += len(task.predictions or [])
        for annotation in plan["corrections"].get(task.data["article_id"], []):
            extra = {}
            if annotation["annotator"]:
                extra["completed_by"] = users[annotation["annotator"]]
            client.annotations.create(
                id=task.id,
                result=annotation["result"],
                was_cancelled=annotation.get("cancel", False),
                lead_time=12.5,
                **extra,
            )
    export = client.projects.exports.as_json(project.id)
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump(
            {
                "project_id": project.id,
                "task_ids": {t.data["article_id"]: t.id for t in tasks},
                "imported_task_ids": list(imported.task_ids or []),
                "predictions": predictions,
                "label_config": client.projects.get(id=project.id).label_config,
                "users": [{"id": u.id, "email": u.email} for u in client.users.list()],
                "export": export,
            },
            handle,
            ensure_ascii=False,
        )


if __name__ == "__main__":
    main(*sys.argv[1:5])

"""Content adaptation: channel adaptation, tone-of-voice adaptation and translation jobs (the content-services
document's "Content Adaptation" operations). ``requests`` parses the submit bodies, ``service`` submits and
reads the jobs, ``channel`` / ``tone`` / ``translation`` are the job handlers, ``kinds`` their job kinds."""

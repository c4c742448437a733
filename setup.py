"Package set-up for minigrpo: every field is read from settings.ini (nbdev 2 layout); no pkg_resources."
from configparser import ConfigParser
import glob, os, shutil, setuptools, shlex
from setuptools.command.build_py import build_py

config = ConfigParser(delimiters=['='])
config.read('settings.ini', encoding='utf-8')
cfg = config['DEFAULT']

cfg_keys = 'version description keywords author author_email'.split()
expected = cfg_keys + "lib_name user branch license status min_python audience language git_url".split()
for o in expected: assert o in cfg, f"settings.ini is missing the setting {o!r}"
setup_cfg = {o: cfg[o] for o in cfg_keys}

licenses = {'apache2': 'Apache-2.0', 'mit': 'MIT', 'gpl2': 'GPL-2.0-only', 'gpl3': 'GPL-3.0-only', 'bsd3': 'BSD-3-Clause'}
statuses = ['1 - Planning', '2 - Pre-Alpha', '3 - Alpha', '4 - Beta', '5 - Production/Stable', '6 - Mature', '7 - Inactive']
py_versions = '3.10 3.11 3.12 3.13'.split()
min_python = cfg['min_python']

requirements = shlex.split(cfg.get('requirements', ''))
dev_requirements = shlex.split(cfg.get('dev_requirements', ''))
console_scripts = cfg.get('console_scripts', '').split()
# the optional extras: settings.ini's `<name>_requirements` lines, each an extra `<name>` (dev: above)
optional = {k[:-len('_requirements')]: shlex.split(v) for k, v in cfg.items()
            if k.endswith('_requirements') and k not in ('dev_requirements',)}


class build_py_with_notebooks(build_py):
    "Also copy the course notebooks (nbs/*.ipynb) into the package, as minigrpo/notebooks/, for `minigrpo notebooks DIR`."
    def run(self):
        super().run()
        dest = os.path.join(self.build_lib, cfg['lib_path'], 'notebooks')
        os.makedirs(dest, exist_ok=True)
        for nb in sorted(glob.glob(os.path.join(cfg['nbs_path'], '*.ipynb'))): shutil.copy2(nb, dest)

setuptools.setup(
    cmdclass={'build_py': build_py_with_notebooks},
    name=cfg['lib_name'],
    license=licenses.get(cfg['license'].lower(), cfg['license']),
    license_files=['LICENSE'],
    classifiers=['Development Status :: ' + statuses[int(cfg['status'])],
                 'Intended Audience :: ' + cfg['audience'].title(),
                 'Natural Language :: ' + cfg['language'].title(),
                 'Topic :: Scientific/Engineering :: Artificial Intelligence'] +
                ['Programming Language :: Python :: ' + o for o in py_versions[py_versions.index(min_python):]],
    url=cfg['git_url'],
    project_urls={'Documentation': cfg['doc_host'] + cfg['doc_baseurl'], 'Source': cfg['git_url']},
    packages=setuptools.find_packages(include=[cfg['lib_path'], cfg['lib_path'] + '.*']),
    include_package_data=True,
    install_requires=requirements,
    extras_require={'dev': dev_requirements, **optional},
    python_requires='>=' + min_python,
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown',
    zip_safe=False,
    scripts=[],
    entry_points={'console_scripts': console_scripts,
                  'nbdev': [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"]},
    **setup_cfg)
